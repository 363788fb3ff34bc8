package snapshot

// Span is the line range (1-based, inclusive) of an entity in a snapshot file.
type Span struct {
	StartLine int `json:"start_line"`
	EndLine   int `json:"end_line"`
}

// Document is a snapshot loaded from a file, with where each entity sits in it.
type Document struct {
	*Snapshot
	// Path is the file the snapshot was read from, as given.
	Path string
	// Spans maps an entity id to the lines of the JSON object that holds it. For ids
	// that occur more than once, the first (outermost) object wins.
	Spans map[string]Span
}

// Span returns the lines of the entity with the given id.
func (d *Document) Span(id string) (Span, bool) {
	if d == nil || d.Spans == nil {
		return Span{}, false
	}
	s, ok := d.Spans[id]
	return s, ok
}
