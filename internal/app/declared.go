package app

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

// declaredService is the service of the scope a declared Konnect side fills.
const declaredService = "config"

// declaredKonnect is the Konnect side a config declares under its top-level konnect
// key, for users without API access: the snapshot's own shape, validated as a snapshot.
type declaredKonnect struct {
	konnect snapshot.Konnect
	// collections are the Konnect collections the declaration fills: konnect.networks,
	// and konnect.custom_domains / konnect.availability when those keys are present.
	collections []string
	// line is the line of the konnect key.
	line int
}

// scope is the one scope of a declared Konnect side. Collections it does not fill stay
// uncollected, so rules that need them are honestly not evaluated.
func (d *declaredKonnect) scope() snapshot.Scope {
	return snapshot.Scope{
		Provider:    "konnect",
		Region:      "global",
		Service:     declaredService,
		Status:      snapshot.ScopeOK,
		Collections: slices.Clone(d.collections),
	}
}

// customDomains are the declared custom domain names.
func (d *declaredKonnect) customDomains() []string {
	var out []string
	for _, c := range d.konnect.CustomDomains {
		out = append(out, c.Domain)
	}
	return out
}

// parseDeclaredKonnect validates the konnect node of the config named name (keyLine is
// the line of its key) by converting it to JSON and parsing it as the Konnect side of a
// snapshot, so the snapshot's schema and address checks apply. Errors are one line:
// "line N: konnect.networks[0].cidr: message", joined with "; ".
func parseDeclaredKonnect(name string, keyLine int, node *yaml.Node) (*declaredKonnect, error) {
	if node.Kind == yaml.ScalarNode && node.ShortTag() == "!!null" {
		return nil, fmt.Errorf("line %d: konnect: is empty; declare its networks, or remove the key", keyLine)
	}
	var w yamlJSON
	w.buf.WriteString(`{"schema_version":"1",`)
	w.lines = []int{keyLine}
	w.buf.WriteString(`"konnect":`)
	if err := w.value(node, 0); err != nil {
		return nil, err
	}
	w.buf.WriteByte('}')
	doc, err := snapshot.Parse(name, w.buf.Bytes())
	if err != nil {
		return nil, w.translate(err)
	}
	k := doc.Snapshot.Konnect
	if len(k.Networks) == 0 {
		return nil, fmt.Errorf("line %d: konnect.networks: declare at least one network, or remove the konnect key", node.Line)
	}
	// Parse checks the schema and the addresses; the rest of the snapshot is empty, so
	// a sort puts the declaration in the order collectors write.
	doc.Snapshot.Sort()
	d := &declaredKonnect{konnect: k, collections: []string{"konnect.networks"}, line: keyLine}
	if node.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(node.Content); i += 2 {
			switch key := node.Content[i].Value; key {
			case "custom_domains", "availability":
				d.collections = append(d.collections, "konnect."+key)
			}
		}
	}
	slices.Sort(d.collections)
	return d, nil
}

// maxYAMLDepth bounds the nesting of a declared Konnect side (aliases could loop).
const maxYAMLDepth = 64

// yamlJSON writes a YAML node as JSON with every mapping key and sequence item on a
// line of its own, and remembers the YAML line of each JSON line, so an error at a
// line of the JSON is an error at a line of the config.
type yamlJSON struct {
	buf bytes.Buffer
	// lines[i] is the YAML line of JSON line i+1.
	lines []int
}

func (w *yamlJSON) newline(yamlLine int) {
	w.buf.WriteByte('\n')
	w.lines = append(w.lines, yamlLine)
}

func (w *yamlJSON) value(n *yaml.Node, depth int) error {
	if depth > maxYAMLDepth {
		return fmt.Errorf("line %d: konnect: nested more than %d levels deep", n.Line, maxYAMLDepth)
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			w.buf.WriteString("null")
			return nil
		}
		return w.value(n.Content[0], depth+1)
	case yaml.AliasNode:
		if n.Alias == nil {
			return fmt.Errorf("line %d: konnect: unresolved alias", n.Line)
		}
		return w.value(n.Alias, depth+1)
	case yaml.MappingNode:
		w.buf.WriteByte('{')
		for i := 0; i+1 < len(n.Content); i += 2 {
			if i > 0 {
				w.buf.WriteByte(',')
			}
			k, v := n.Content[i], n.Content[i+1]
			if k.Value == "<<" {
				return fmt.Errorf("line %d: konnect: merge keys (<<) are not supported here; write the keys out", k.Line)
			}
			w.newline(k.Line)
			key, _ := json.Marshal(k.Value) // a string always marshals
			w.buf.Write(key)
			w.buf.WriteByte(':')
			if err := w.value(v, depth+1); err != nil {
				return err
			}
		}
		w.buf.WriteByte('}')
	case yaml.SequenceNode:
		w.buf.WriteByte('[')
		for i, item := range n.Content {
			if i > 0 {
				w.buf.WriteByte(',')
			}
			w.newline(item.Line)
			if err := w.value(item, depth+1); err != nil {
				return err
			}
		}
		w.buf.WriteByte(']')
	default:
		w.buf.Write(scalarJSON(n))
	}
	return nil
}

// scalarJSON is a YAML scalar as JSON: null, booleans and numbers as such (so the
// schema can say a string was wanted), everything else as a string.
func scalarJSON(n *yaml.Node) []byte {
	switch n.ShortTag() {
	case "!!null", "!!bool", "!!int", "!!float":
		var v any
		if n.Decode(&v) == nil {
			if b, err := json.Marshal(v); err == nil {
				return b
			}
		}
	}
	b, _ := json.Marshal(n.Value) // a string always marshals
	return b
}

// translate turns the errors of snapshot.Parse on the converted JSON into one line
// about the config: each problem at its config line, its JSON pointer as a key path.
func (w *yamlJSON) translate(err error) error {
	var errs []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	} else {
		errs = []error{err}
	}
	parts := make([]string, 0, len(errs))
	for _, e := range errs {
		var se *snapshot.Error
		if !errors.As(e, &se) {
			parts = append(parts, "konnect: "+e.Error())
			continue
		}
		msg := se.Msg
		if ptr, rest, ok := strings.Cut(msg, ": "); ok && strings.HasPrefix(ptr, "/") {
			msg = keyPath(ptr) + ": " + rest
		} else {
			msg = "konnect: " + msg
		}
		if se.Line > 0 && se.Line <= len(w.lines) {
			msg = fmt.Sprintf("line %d: %s", w.lines[se.Line-1], msg)
		}
		parts = append(parts, msg)
	}
	return errors.New(strings.Join(parts, "; "))
}

// keyPath writes a JSON pointer as the config's key path: /konnect/networks/0/cidr is
// konnect.networks[0].cidr.
func keyPath(ptr string) string {
	var b strings.Builder
	for i, tok := range strings.Split(strings.TrimPrefix(ptr, "/"), "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		if _, err := strconv.Atoi(tok); err == nil {
			b.WriteString("[" + tok + "]")
			continue
		}
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(tok)
	}
	return b.String()
}
