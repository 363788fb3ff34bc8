package policies

import (
	"embed"
	"io/fs"
)

// builtinRules holds the built-in rules, their Rego tests and the shared helpers:
// every policies/<family>/*.rego file. Files under testdata/ (engine fixtures) are
// skipped when the tree is read.
//
//go:embed */*.rego
var builtinRules embed.FS

// BuiltinFS returns the embedded built-in rule tree, rooted at policies/.
func BuiltinFS() fs.FS { return builtinRules }
