package main

import "sync"

// logger.close locks mu and calls flush, which locks it again: a double
// lock through a call (golens's deadlock check, typed tier).
type logger struct {
	mu    sync.Mutex
	lines []string
}

func (l *logger) close() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.flush()
}

func (l *logger) flush() {
	l.mu.Lock()
	l.lines = nil
	l.mu.Unlock()
}
