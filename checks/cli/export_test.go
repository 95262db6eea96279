package cli

// WriteFile lets tests make writing a fixed file fail: the tests run as
// root in CI containers, where a read-only mode does not stop a write.
var WriteFile = &writeFile
