//go:build unix

package server

import (
	"os"
	"syscall"
)

// openNonBlocking opens name for reading without blocking: opening a FIFO
// with no writer would otherwise hold an OS thread until one appears.
func openNonBlocking(name string) (*os.File, error) {
	return os.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}
