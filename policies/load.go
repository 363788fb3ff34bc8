package policies

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
)

// builtinPrefix is prepended to the paths of embedded files in messages and rule
// metadata, so that they name the file as it sits in the repository.
const builtinPrefix = "policies/"

// module is one parsed .rego file.
type module struct {
	// name is the file as shown to people: policies/<family>/<slug>.rego for a built-in
	// file, dir/rel/path.rego for a user file.
	name    string
	builtin bool
	test    bool
	ast     *ast.Module
}

// parserOptions are the options every .rego file is parsed with.
func parserOptions() ast.ParserOptions {
	return ast.ParserOptions{RegoVersion: ast.RegoV1, ProcessAnnotation: true}
}

// excludedBuiltins are the built-in functions rules may not call: they reach the
// network or the environment, or give a different answer on every call. A scan must be
// a pure function of the snapshot and the config.
var excludedBuiltins = []string{
	"crypto.x509.parse_and_verify_certificates",
	"crypto.x509.parse_and_verify_certificates_with_options",
	"http.send",
	"io.jwt.decode_verify",
	"net.lookup_ip_addr",
	"opa.runtime",
	"providers.aws.sign_req",
	"rand.intn",
	"time.now_ns",
	"uuid.rfc4122",
}

// capabilities are OPA's built-ins for this version minus the excluded and every
// nondeterministic one, with no network host allowed (json.match_schema $refs).
func capabilities() *ast.Capabilities {
	caps := ast.CapabilitiesForThisVersion()
	kept := caps.Builtins[:0]
	for _, b := range caps.Builtins {
		if b.Nondeterministic || slices.Contains(excludedBuiltins, b.Name) {
			continue
		}
		kept = append(kept, b)
	}
	caps.Builtins = kept
	caps.AllowNet = []string{}
	return caps
}

// newCompiler returns a compiler with the production settings. The engine and the
// test runner both use it, so that Rego tests run exactly as rules do.
func newCompiler() *ast.Compiler {
	return ast.NewCompiler().
		WithCapabilities(capabilities()).
		WithDefaultRegoVersion(ast.RegoV1).
		WithEnablePrintStatements(false)
}

// loadModules reads and parses the built-in tree (builtin, or the embedded one when
// nil) and every user directory. Test files (*_test.rego) are kept only when tests is
// true. Modules come back sorted: built-in first, then user directories in order,
// each by path.
func loadModules(builtin fs.FS, dirs []string, tests bool) ([]module, error) {
	if builtin == nil {
		builtin = builtinRules
	}
	var mods []module
	var errs []error
	add := func(fsys fs.FS, name func(string) string, isBuiltin bool) error {
		files, err := regoFiles(fsys, isBuiltin)
		if err != nil {
			return err
		}
		for _, rel := range files {
			isTest := strings.HasSuffix(rel, "_test.rego")
			if isTest && !tests {
				continue
			}
			src, err := fs.ReadFile(fsys, rel)
			if err != nil {
				return fmt.Errorf("read %s: %w", name(rel), err)
			}
			m, err := ast.ParseModuleWithOpts(name(rel), string(src), parserOptions())
			if err != nil {
				var astErrs ast.Errors
				if errors.As(err, &astErrs) {
					for _, e := range astErrs {
						errs = append(errs, e)
					}
				} else {
					errs = append(errs, err)
				}
				continue
			}
			mods = append(mods, module{name: name(rel), builtin: isBuiltin, test: isTest, ast: m})
		}
		return nil
	}
	if err := add(builtin, func(rel string) string { return builtinPrefix + rel }, true); err != nil {
		return nil, fmt.Errorf("read built-in rules: %w", err)
	}
	for _, dir := range dirs {
		info, err := os.Stat(dir)
		if err != nil {
			return nil, fmt.Errorf("read policy directory: %w", err)
		}
		if !info.IsDir() {
			return nil, fmt.Errorf("read policy directory %s: not a directory", dir)
		}
		n := len(mods)
		if err := add(os.DirFS(dir), func(rel string) string { return userPath(dir, rel) }, false); err != nil {
			return nil, fmt.Errorf("read policy directory %s: %w", dir, err)
		}
		if len(mods) == n && len(errs) == 0 {
			return nil, fmt.Errorf("read policy directory %s: no .rego files", dir)
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return mods, nil
}

// regoFiles lists the .rego files of fsys, sorted, skipping testdata directories of
// the built-in tree and hidden directories.
func regoFiles(fsys fs.FS, isBuiltin bool) ([]string, error) {
	var files []string
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			base := path.Base(p)
			if p != "." && (strings.HasPrefix(base, ".") || (isBuiltin && base == "testdata")) {
				return fs.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(p, ".rego") {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.Sort(files)
	return files, nil
}

// userPath names a file of a user directory as the user would: the directory as
// given, then the path inside it.
func userPath(dir, rel string) string {
	if dir == "" {
		return filepath.FromSlash(rel)
	}
	sep := string(filepath.Separator)
	return strings.TrimSuffix(dir, sep) + sep + filepath.FromSlash(rel)
}

// compile compiles the modules once with the production compiler.
func compile(mods []module) (*ast.Compiler, error) {
	byName := make(map[string]*ast.Module, len(mods))
	for _, m := range mods {
		byName[m.name] = m.ast
	}
	c := newCompiler()
	if c.Compile(byName); c.Failed() {
		return nil, fmt.Errorf("compile policies: %w", c.Errors)
	}
	return c, nil
}
