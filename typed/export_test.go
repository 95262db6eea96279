package typed

// Test hooks for imported.go.

// ResetImportedCache empties the process-wide cache of dependency
// summaries.
func ResetImportedCache() {
	depCache.Lock()
	depCache.m = map[string]*depEntry{}
	depCache.Unlock()
}

// ReadImported reads the imported package with the given path as a new
// load of p would (read and hash its files; parse, check and summarise them
// unless the cache has them) and returns how many functions its summaries
// hold, or -1 when golens does not read it.
func (p *Package) ReadImported(path string) int {
	if p.summaries == nil || p.summaries.deps == nil {
		return -1
	}
	ds := newDepsState(p.summaries.deps.index, p.Fset, nil)
	s := ds.summaries(p, path)
	if s == nil {
		return -1
	}
	return len(s.funcs)
}
