package report

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/dcgw-scan/dcgw-scan/policies"
	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

// Markdown writes a CI job summary (GitHub-flavoured Markdown): a heading, an
// incomplete-scan warning when it applies, counts by severity, a findings table (most
// severe first), and the rules not evaluated and scopes that failed.
func Markdown(w io.Writer, res *policies.Result, doc *snapshot.Document, opts Options) error {
	v, err := newView(res, doc, opts)
	if err != nil {
		return fmt.Errorf("markdown report: %w", err)
	}
	b := bufio.NewWriter(w)

	heading := v.tool
	if v.name != "" {
		heading += ": " + mdText(v.name)
	}
	fmt.Fprintf(b, "## %s\n\n", heading)
	var meta []string
	if v.path != "" {
		meta = append(meta, "Snapshot "+mdCode(v.path))
	}
	if v.version != "" {
		meta = append(meta, v.tool+" "+mdText(v.version))
	}
	meta = append(meta, fmt.Sprintf("%d %s", len(v.rules), plural(len(v.rules), "rule", "rules")))
	fmt.Fprintf(b, "%s\n\n", strings.Join(meta, " · "))

	if v.incomplete {
		fmt.Fprintf(b, "> [!WARNING]\n> **Scan incomplete**: %d not evaluated, %d %s failed or partial. Results are not a clean bill of health.\n\n",
			len(v.notEvaluated), len(v.unhealthy), plural(len(v.unhealthy), "scope", "scopes"))
	}

	b.WriteString("| Severity | Findings |\n| --- | ---: |\n")
	for _, s := range severities {
		fmt.Fprintf(b, "| %s | %d |\n", s, v.bySeverity[s])
	}
	fmt.Fprintf(b, "| **total** | **%d** |\n\n", len(v.findings))

	b.WriteString("### Findings\n\n")
	if len(v.findings) == 0 {
		b.WriteString("No findings.\n")
	} else {
		findings := slices.Clone(v.findings)
		slices.SortStableFunc(findings, func(a, b policies.Finding) int {
			return compareAll(b.Severity.Rank()-a.Severity.Rank(), compareFindings(a, b))
		})
		b.WriteString("| Severity | Rule | Resource | Message |\n| --- | --- | --- | --- |\n")
		for _, f := range findings {
			fmt.Fprintf(b, "| %s | %s %s | %s | %s%s |\n",
				f.Severity, mdCode(f.RuleID), mdText(v.title(f.RuleID)), mdCode(f.ResourceID), mdText(f.Message), mdPath(f))
		}
	}

	if len(v.notEvaluated) > 0 {
		fmt.Fprintf(b, "\n### Not evaluated (%d)\n\n", len(v.notEvaluated))
		for _, ne := range v.notEvaluated {
			fmt.Fprintf(b, "- %s at %s: %s\n", mdCode(ne.RuleID), mdCode(ne.Scope), mdText(ne.Reason))
		}
	}
	if len(v.unhealthy) > 0 {
		fmt.Fprintf(b, "\n### Scopes that failed (%d)\n\n", len(v.unhealthy))
		for _, s := range v.unhealthy {
			msg := s.Problem()
			fmt.Fprintf(b, "- %s %s\n", mdCode(s.Key()), mdText(msg))
		}
	}
	if err := b.Flush(); err != nil {
		return fmt.Errorf("markdown report: %w", err)
	}
	return nil
}

// mdText makes s safe inside a table cell or list item: one line, pipes escaped, and
// no raw HTML or emphasis from the data.
var mdReplacer = strings.NewReplacer(
	`\`, `\\`, "|", `\|`, "<", "&lt;", ">", "&gt;", "*", `\*`, "_", `\_`, "`", "\\`", "[", `\[`, "]", `\]`,
)

func mdText(s string) string { return mdReplacer.Replace(oneLine(s)) }

// mdCode is s as inline code; only the pipe needs escaping there (GFM tables). Text with
// backticks falls back to escaped plain text.
func mdCode(s string) string {
	s = oneLine(s)
	if s == "" {
		return ""
	}
	if strings.Contains(s, "`") {
		return mdText(s)
	}
	return "`" + strings.ReplaceAll(s, "|", `\|`) + "`"
}

// mdPath is a finding's path inside its table cell: one line per hop (GFM cells take
// <br> as a line break), numbered in hop order; empty without a path.
func mdPath(f policies.Finding) string {
	var b strings.Builder
	for i, h := range f.Path {
		fmt.Fprintf(&b, "<br>%d. %s", i+1, mdText(h.String()))
	}
	return b.String()
}
