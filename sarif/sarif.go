// Package sarif writes a scan result as SARIF 2.1.0 for GitHub code scanning, built with
// github.com/owenrumney/go-sarif/v3.
//
// Cloud resources have no source file, so every result points at the snapshot file (a
// repo-relative path, or the path given in Options.URI) with the line range of the
// offending resource, carries the resource id as a logical location, and gets its own
// partialFingerprints.primaryLocationLineHash derived from the rule id, the canonical
// resource id and the finding key: never from line numbers or messages, so an alert
// survives a re-collected snapshot whose lines moved.
package sarif

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	gosarif "github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"

	"github.com/dcgw-scan/dcgw-scan/policies"
	"github.com/dcgw-scan/dcgw-scan/reach"
	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

// Identity of the tool and defaults.
const (
	ToolName        = "dcgw-scan"
	InformationURI  = "https://github.com/dcgw-scan/dcgw-scan"
	DefaultCategory = "dcgw-scan"
	// FingerprintKey is the only partialFingerprints key GitHub code scanning reads.
	FingerprintKey = "primaryLocationLineHash"
	// SchemaURI is the $schema written into every log.
	SchemaURI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	// URIBaseID marks artifact URIs as relative to the source (repository) root.
	URIBaseID = "%SRCROOT%"

	// GitHub's limits (anchors §2): descriptions ≤ 1024 characters, rule name ≤ 255,
	// tags displayed ≤ 10.
	maxDescription = 1024
	maxName        = 255
	maxTags        = 10
)

// Notification descriptor ids, listed in tool.driver.notifications.
const (
	NotificationNotEvaluated = "rule-not-evaluated"
	NotificationScopeFailed  = "scope-failed"
	NotificationScopePartial = "scope-partial"
)

// Options tunes the SARIF log.
type Options struct {
	// ToolVersion is the semantic version of dcgw-scan, e.g. "0.1.0".
	ToolVersion string
	// URI is the repo-relative path (forward slashes) of the artifact results point at.
	// Default: Document.Path, made relative to the working directory.
	URI string
	// Category is the automationDetails category; default "dcgw-scan". Use a distinct
	// category per SARIF file uploaded for one commit.
	Category string
}

// ErrURI says no repo-relative artifact URI could be derived; set Options.URI.
var ErrURI = errors.New("no repo-relative artifact URI")

// ErrOutside is the ErrURI of a path outside the working directory: a caller may
// name the file otherwise (by its base name, say) and ask the user for the URI.
var ErrOutside = fmt.Errorf("%w: the path lies outside the working directory", ErrURI)

// outsideError is ErrOutside for one path.
type outsideError struct{ path string }

func (e *outsideError) Error() string {
	return fmt.Sprintf("%v: %q lies outside the working directory; give a path relative to the repository root", ErrURI, e.path)
}

func (e *outsideError) Unwrap() error { return ErrOutside }

// Write writes res as one SARIF 2.1.0 run, indented, deterministic.
func Write(w io.Writer, res *policies.Result, doc *snapshot.Document, opts Options) error {
	report, err := Build(res, doc, opts)
	if err != nil {
		return err
	}
	raw, err := json.Marshal(report)
	if err != nil {
		return fmt.Errorf("encode sarif: %w", err)
	}
	out, err := tidy(raw)
	if err != nil {
		return err
	}
	if _, err := w.Write(out); err != nil {
		return fmt.Errorf("write sarif: %w", err)
	}
	return nil
}

// Build assembles the go-sarif report. Its JSON carries go-sarif's sentinel values
// (-1 indexes, empty arrays); Write removes them.
func Build(res *policies.Result, doc *snapshot.Document, opts Options) (*gosarif.Report, error) {
	if res == nil {
		return nil, errors.New("build sarif: nil result")
	}
	uri, err := ArtifactURI(opts.URI, doc)
	if err != nil {
		return nil, fmt.Errorf("build sarif: %w", err)
	}
	category := strings.TrimRight(strings.TrimSpace(opts.Category), "/")
	if category == "" {
		category = DefaultCategory
	}

	run := gosarif.NewRunWithInformationURI(ToolName, InformationURI)
	driver := run.Tool.Driver
	if opts.ToolVersion != "" {
		driver.WithVersion(opts.ToolVersion).WithSemanticVersion(opts.ToolVersion)
	}
	run.WithAutomationDetails(gosarif.NewRunAutomationDetails().WithID(category + "/"))

	rules := ruleSet(res)
	for _, r := range rules {
		addRule(run, r)
	}
	for _, d := range notificationDescriptors() {
		driver.AddNotification(d)
	}

	byID := make(map[string]policies.Rule, len(rules))
	for _, r := range rules {
		byID[r.ID] = r
	}
	for _, f := range sortedFindings(res.Findings) {
		addResult(run, byID[f.RuleID], f, uri, doc)
	}

	inv := gosarif.NewInvocation().WithExecutionSuccessful(!res.Incomplete())
	for _, n := range scopeNotifications(doc) {
		inv.AddToolExecutionNotification(n)
	}
	for _, n := range notEvaluatedNotifications(run, res.NotEvaluated) {
		inv.AddToolExecutionNotification(n)
	}
	run.AddInvocation(inv)

	report := gosarif.NewReport()
	report.Schema = SchemaURI
	report.AddRun(run)
	return report, nil
}

// Level maps a severity to a SARIF level: critical and high are errors, medium a
// warning, low and info notes.
func Level(s policies.Severity) string {
	switch s {
	case policies.SeverityCritical, policies.SeverityHigh:
		return gosarif.LevelError
	case policies.SeverityLow, policies.SeverityInfo:
		return gosarif.LevelNote
	}
	return gosarif.LevelWarning
}

// SecuritySeverity maps a severity to a score inside GitHub's bands (critical is > 9.0,
// high 7.0–8.9, medium 4.0–6.9, low 0.1–3.9). Info has no band of its own and shows as low.
func SecuritySeverity(s policies.Severity) string {
	switch s {
	case policies.SeverityCritical:
		return "9.5"
	case policies.SeverityHigh:
		return "8.0"
	case policies.SeverityLow:
		return "3.0"
	case policies.SeverityInfo:
		return "1.0"
	}
	return "5.5"
}

// ArtifactURI returns the repo-relative URI results point at, escaped: explicit (a
// path with forward slashes) or, when empty, the document's path made relative to the
// working directory (GitHub code scanning resolves it against the repository root).
// It refuses absolute paths, anything that looks like a URI or an ARN (GitHub rejects
// or misplaces those), and paths outside the working directory (ErrOutside). Every
// error is an ErrURI.
func ArtifactURI(explicit string, doc *snapshot.Document) (string, error) {
	p := strings.TrimSpace(explicit)
	if p == "" {
		if doc == nil || doc.Path == "" {
			return "", fmt.Errorf("%w: the document has no path; set the artifact URI", ErrURI)
		}
		p = doc.Path
		// An absolute path, or one through "..", may still lie inside the working
		// directory.
		if !filepath.IsLocal(p) {
			wd, err := os.Getwd()
			if err != nil {
				return "", fmt.Errorf("%w: %s is not below the working directory, which is unknown: %w", ErrURI, p, err)
			}
			if !filepath.IsAbs(p) {
				p = filepath.Join(wd, p)
			}
			rel, err := filepath.Rel(wd, p)
			if err != nil {
				return "", fmt.Errorf("%w: %s: %w", ErrURI, p, err)
			}
			p = rel
		}
		p = filepath.ToSlash(p)
	}
	p = path.Clean(strings.ReplaceAll(p, `\`, "/"))
	first, _, _ := strings.Cut(p, "/")
	switch {
	case p == "." || p == "":
		return "", fmt.Errorf("%w: %q names no file", ErrURI, explicit)
	case strings.HasPrefix(p, "/"):
		return "", fmt.Errorf("%w: %q is absolute; give a path relative to the repository root", ErrURI, p)
	case p == ".." || strings.HasPrefix(p, "../"):
		return "", &outsideError{path: p}
	case strings.Contains(first, ":"):
		return "", fmt.Errorf("%w: %q looks like a URI or an ARN, not a repository path", ErrURI, p)
	}
	return (&url.URL{Path: p}).EscapedPath(), nil
}

// ruleSet is res.Rules sorted by id, first of each id kept, plus a minimal rule for
// every finding whose rule is missing, so each result has a rule to point at.
func ruleSet(res *policies.Result) []policies.Rule {
	seen := map[string]bool{}
	var rules []policies.Rule
	for _, r := range res.Rules {
		if !seen[r.ID] {
			seen[r.ID] = true
			rules = append(rules, r)
		}
	}
	for _, f := range sortedFindings(res.Findings) {
		if !seen[f.RuleID] {
			seen[f.RuleID] = true
			rules = append(rules, policies.Rule{ID: f.RuleID, Title: f.RuleID, Severity: f.Severity})
		}
	}
	slices.SortStableFunc(rules, func(a, b policies.Rule) int { return strings.Compare(a.ID, b.ID) })
	return rules
}

func sortedFindings(in []policies.Finding) []policies.Finding {
	out := slices.Clone(in)
	slices.SortStableFunc(out, func(a, b policies.Finding) int {
		for _, c := range []int{
			strings.Compare(a.RuleID, b.RuleID),
			strings.Compare(a.ResourceID, b.ResourceID),
			strings.Compare(a.Key, b.Key),
			strings.Compare(a.Message, b.Message),
		} {
			if c != 0 {
				return c
			}
		}
		return 0
	})
	return out
}

func addRule(run *gosarif.Run, r policies.Rule) {
	title := firstNonEmpty(r.Title, r.ID)
	helpURI := r.HelpURI()
	props := gosarif.NewPropertyBag().
		Add("precision", "high").
		Add("security-severity", SecuritySeverity(r.Severity)).
		WithTags(ruleTags(r))
	run.AddRule(r.ID).
		WithName(ruleName(r.Title, r.ID)).
		WithShortDescription(gosarif.NewMultiformatMessageString().WithText(truncate(title, maxDescription))).
		WithFullDescription(gosarif.NewMultiformatMessageString().WithText(truncate(firstNonEmpty(r.Description, title), maxDescription))).
		WithHelp(gosarif.NewMultiformatMessageString().WithText(helpText(r, helpURI)).WithMarkdown(helpMarkdown(r, helpURI))).
		WithHelpURI(helpURI).
		WithDefaultConfiguration(gosarif.NewReportingConfiguration().WithLevel(Level(r.Severity))).
		WithProperties(props)
}

// ruleName is the title in CamelCase ("CIDR overlap" → "CIDROverlap"), ≤ 255 characters.
func ruleName(title, id string) string {
	var b strings.Builder
	words := strings.FieldsFunc(title, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	if len(words) == 0 {
		words = strings.FieldsFunc(id, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	}
	for _, w := range words {
		r, size := utf8.DecodeRuneInString(w)
		b.WriteRune(unicode.ToUpper(r))
		b.WriteString(w[size:])
	}
	name := []rune(b.String())
	return string(name[:min(len(name), maxName)])
}

// ruleTags are security, dcgw, the family and the connectivity types, ≤ 10, no repeats.
func ruleTags(r policies.Rule) []string {
	tags := []string{}
	for _, t := range append([]string{"security", "dcgw", strings.ToLower(r.Family())}, r.Connectivity...) {
		t = strings.TrimSpace(t)
		if t == "" || slices.Contains(tags, t) {
			continue
		}
		if len(tags) == maxTags {
			break
		}
		tags = append(tags, t)
	}
	return tags
}

func helpText(r policies.Rule, helpURI string) string {
	var b strings.Builder
	if rem := strings.TrimSpace(r.Remediation); rem != "" {
		b.WriteString(rem)
	} else {
		b.WriteString("No remediation is documented for this rule.")
	}
	links := nonEmpty(r.Links)
	if len(links) == 0 {
		links = []string{helpURI}
	}
	b.WriteString("\n\nLinks:")
	for _, l := range links {
		b.WriteString("\n- " + l)
	}
	return b.String()
}

func helpMarkdown(r policies.Rule, helpURI string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "## %s: %s\n\n", r.ID, firstNonEmpty(r.Title, r.ID))
	if d := strings.TrimSpace(r.Description); d != "" {
		b.WriteString(d + "\n\n")
	}
	b.WriteString("### Remediation\n\n")
	if rem := strings.TrimSpace(r.Remediation); rem != "" {
		b.WriteString(rem + "\n\n")
	} else {
		b.WriteString("No remediation is documented for this rule.\n\n")
	}
	if len(r.Connectivity) > 0 || len(r.Providers) > 0 {
		b.WriteString("### Applies to\n\n")
		if len(r.Connectivity) > 0 {
			b.WriteString("- Connectivity: " + strings.Join(r.Connectivity, ", ") + "\n")
		}
		if len(r.Providers) > 0 {
			b.WriteString("- Providers: " + strings.Join(r.Providers, ", ") + "\n")
		}
		b.WriteString("\n")
	}
	b.WriteString("### References\n\n")
	links := nonEmpty(r.Links)
	if len(links) == 0 {
		links = []string{helpURI}
	}
	for _, l := range links {
		fmt.Fprintf(&b, "- <%s>\n", l)
	}
	return strings.TrimRight(b.String(), "\n")
}

func addResult(run *gosarif.Run, r policies.Rule, f policies.Finding, uri string, doc *snapshot.Document) {
	sev := f.Severity
	if sev.Rank() < 0 {
		sev = r.Severity
	}
	loc := snapshotLocation(uri, doc, f.ResourceID)
	if f.ResourceID != "" {
		loc.AddLogicalLocation(gosarif.NewLogicalLocation().
			WithName(f.ResourceID).
			WithFullyQualifiedName(joinNonEmpty("/", f.Provider, f.Account, f.Region, f.ResourceID)).
			WithKind("resource"))
	}
	props := gosarif.NewPropertyBag()
	for _, kv := range [][2]string{{"account", f.Account}, {"key", f.Key}, {"provider", f.Provider}, {"region", f.Region}} {
		if kv[1] != "" {
			props.Add(kv[0], kv[1])
		}
	}
	if len(f.Evidence) > 0 {
		props.Add("evidence", f.Evidence)
	}
	msg := firstNonEmpty(strings.TrimSpace(f.Message), firstNonEmpty(r.Title, f.RuleID)) + pathLinks(f.Path)
	result := run.CreateResultForRule(f.RuleID).
		WithLevel(Level(sev)).
		WithMessage(gosarif.NewTextMessage(msg)).
		AddLocation(loc).
		WithPartialFingerprints(map[string]string{FingerprintKey: f.Fingerprint()})
	if len(props.Properties) > 0 {
		result.WithProperties(props)
	}
	addPath(result, f.Path, uri, doc)
}

// snapshotLocation points at the lines of the entity id in the snapshot file (line 1
// when the snapshot has no such entity).
func snapshotLocation(uri string, doc *snapshot.Document, id string) *gosarif.Location {
	start, end := 1, 1
	if sp, ok := doc.Span(id); ok && sp.StartLine >= 1 {
		start, end = sp.StartLine, max(sp.EndLine, sp.StartLine)
	}
	return gosarif.NewLocation().WithPhysicalLocation(gosarif.NewPhysicalLocation().
		WithArtifactLocation(gosarif.NewArtifactLocation().WithURI(uri).WithURIBaseID(URIBaseID)).
		WithRegion(gosarif.NewRegion().WithStartLine(start).WithEndLine(end)))
}

// pathLinks is " Path: [rtb-1](1) → [acl-1](2) → [sg-1](3).": GitHub code scanning
// links a result's related locations only where its message embeds them as
// [text](id); empty without a path.
func pathLinks(path []reach.Hop) string {
	if len(path) == 0 {
		return ""
	}
	links := make([]string, len(path))
	for i, h := range path {
		label := strings.NewReplacer("[", "(", "]", ")").Replace(h.ResourceID)
		links[i] = fmt.Sprintf("[%s](%d)", label, i+1)
	}
	return " Path: " + strings.Join(links, " → ") + "."
}

// addPath gives a result with a path its hops twice, as GitHub code scanning reads
// them: as relatedLocations (ids 1…n, each at its resource's lines in the snapshot) and
// as one codeFlow whose thread flow visits the hops in order ("Show paths").
func addPath(result *gosarif.Result, path []reach.Hop, uri string, doc *snapshot.Document) {
	if len(path) == 0 {
		return
	}
	tf := gosarif.NewThreadFlow()
	for i, h := range path {
		msg := truncate(h.String(), maxDescription)
		result.AddRelatedLocation(snapshotLocation(uri, doc, h.ResourceID).
			WithID(i + 1).WithMessage(gosarif.NewTextMessage(msg)))
		tf.AddLocation(gosarif.NewThreadFlowLocation().
			WithLocation(snapshotLocation(uri, doc, h.ResourceID).WithMessage(gosarif.NewTextMessage(msg))).
			WithExecutionOrder(i + 1))
	}
	result.AddCodeFlow(gosarif.NewCodeFlow().
		WithMessage(gosarif.NewTextMessage(fmt.Sprintf("%d hops, in the order traffic takes them", len(path)))).
		AddThreadFlow(tf))
}

func notificationDescriptors() []*gosarif.ReportingDescriptor {
	mk := func(id, text, level string) *gosarif.ReportingDescriptor {
		return gosarif.NewRule(id).
			WithShortDescription(gosarif.NewMultiformatMessageString().WithText(text)).
			WithDefaultConfiguration(gosarif.NewReportingConfiguration().WithLevel(level))
	}
	// Sorted by id; notificationIndex relies on this order.
	return []*gosarif.ReportingDescriptor{
		mk(NotificationNotEvaluated, "A rule could not be evaluated for a scope whose data is missing.", gosarif.LevelWarning),
		mk(NotificationScopeFailed, "Collection failed for a scope; rules reading its data are not evaluated there.", gosarif.LevelError),
		mk(NotificationScopePartial, "Collection returned partial data for a scope.", gosarif.LevelWarning),
	}
}

func notificationIndex(id string) int {
	for i, d := range notificationDescriptors() {
		if *d.ID == id {
			return i
		}
	}
	return -1
}

func scopeNotifications(doc *snapshot.Document) []*gosarif.Notification {
	if doc == nil || doc.Snapshot == nil {
		return nil
	}
	scopes := slices.Clone(doc.Scopes)
	slices.SortStableFunc(scopes, func(a, b snapshot.Scope) int { return strings.Compare(a.Key(), b.Key()) })
	var out []*gosarif.Notification
	for _, s := range scopes {
		var level, id string
		switch s.Status {
		case snapshot.ScopeFailed:
			level, id = gosarif.LevelError, NotificationScopeFailed
		case snapshot.ScopePartial:
			level, id = gosarif.LevelWarning, NotificationScopePartial
		default:
			continue
		}
		props := gosarif.NewPropertyBag().Add("scope", s.Key()).Add("status", s.Status)
		if len(s.Collections) > 0 {
			props.Add("collections", s.Collections)
		}
		out = append(out, gosarif.NewNotification().
			WithLevel(level).
			WithDescriptor(gosarif.NewReportingDescriptorReference().WithID(id).WithIndex(notificationIndex(id))).
			WithMessage(gosarif.NewTextMessage(scopeMessage(s))).
			WithProperties(props))
	}
	return out
}

// scopeMessage says which scope failed and why: "scope aws/1/eu-west-1/ec2 failed
// (denied): DescribeVpcs: not authorized".
func scopeMessage(s snapshot.Scope) string { return "scope " + s.Key() + " " + s.Problem() }

func notEvaluatedNotifications(run *gosarif.Run, nes []policies.NotEvaluated) []*gosarif.Notification {
	nes = slices.Clone(nes)
	slices.SortStableFunc(nes, func(a, b policies.NotEvaluated) int {
		if c := strings.Compare(a.RuleID, b.RuleID); c != 0 {
			return c
		}
		if c := strings.Compare(a.Scope, b.Scope); c != 0 {
			return c
		}
		return strings.Compare(a.Reason, b.Reason)
	})
	var out []*gosarif.Notification
	for _, ne := range nes {
		rule := gosarif.NewReportingDescriptorReference().WithID(ne.RuleID)
		if i := run.GetRuleIndex(ne.RuleID); i >= 0 {
			rule.WithIndex(i)
		}
		out = append(out, gosarif.NewNotification().
			WithLevel(gosarif.LevelWarning).
			WithDescriptor(gosarif.NewReportingDescriptorReference().WithID(NotificationNotEvaluated).WithIndex(notificationIndex(NotificationNotEvaluated))).
			WithAssociatedRule(rule).
			WithMessage(gosarif.NewTextMessage(fmt.Sprintf("%s not evaluated for %s: %s", ne.RuleID, ne.Scope, ne.Reason))).
			WithProperties(gosarif.NewPropertyBag().Add("scope", ne.Scope)))
	}
	return out
}

// tidy re-encodes go-sarif's JSON without its placeholders: the -1 sentinels it writes
// for unset indexes, ids, ranks and offsets, empty arrays other than the required
// results and rules, and empty property bags. Property bags' contents (evidence) are
// left untouched. Keys come out sorted, so the output is deterministic.
func tidy(raw []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("tidy sarif: %w", err)
	}
	v = prune(v)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("tidy sarif: %w", err)
	}
	return buf.Bytes(), nil
}

var sentinelKeys = map[string]bool{
	"index": true, "parentIndex": true, "id": true, "rank": true,
	"byteOffset": true, "charOffset": true, "ruleIndex": true,
}

var requiredArrays = map[string]bool{"results": true, "rules": true}

func prune(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, child := range t {
			if k == "properties" {
				if m, ok := child.(map[string]any); ok && len(m) == 0 {
					delete(t, k)
				}
				continue // user data: leave as is
			}
			if n, ok := child.(json.Number); ok && sentinelKeys[k] && n.String() == "-1" {
				delete(t, k)
				continue
			}
			if a, ok := child.([]any); ok && len(a) == 0 && !requiredArrays[k] {
				delete(t, k)
				continue
			}
			t[k] = prune(child)
		}
		return t
	case []any:
		for i := range t {
			t[i] = prune(t[i])
		}
		return t
	}
	return v
}

func truncate(s string, n int) string { return truncateRunes(strings.TrimSpace(s), n) }

// truncateRunes cuts s to at most n characters, on a rune boundary, ending in "…".
func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	runes := []rune(s)
	return strings.TrimRightFunc(string(runes[:n-1]), unicode.IsSpace) + "…"
}

func firstNonEmpty(a, b string) string {
	if strings.TrimSpace(a) != "" {
		return a
	}
	return b
}

func nonEmpty(in []string) []string {
	var out []string
	for _, s := range in {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func joinNonEmpty(sep string, parts ...string) string {
	return strings.Join(nonEmpty(parts), sep)
}
