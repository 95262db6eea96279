package lockleak

import (
	"os"
	"sync"
)

// ---- buggy: the shape found in the standard library's testing package ----

type common struct {
	tempDirMu sync.Mutex
	tempDir   string
	seq       int
}

func (c *common) makeTempDir() (string, error) {
	c.tempDirMu.Lock() // want `c.tempDirMu stays locked if \(\*common\).makeTempDir returns on line 22`
	nonExistent := c.tempDir == ""
	if !nonExistent {
		_, err := os.Stat(c.tempDir)
		if err != nil && !os.IsNotExist(err) {
			return "", err
		}
	}
	c.seq++
	c.tempDirMu.Unlock()
	return c.tempDir, nil
}

// ---- correct ----

var (
	forkingLock sync.Mutex
	forkLock    sync.RWMutex
	forking     int
)

// acquireForkLock hands forkLock to the caller in its first branch; the
// Unlock below belongs to another branch's Lock.
func acquireForkLock() {
	forkingLock.Lock()
	defer forkingLock.Unlock()
	if forking == 0 {
		forkLock.Lock()
		forking++
		return
	}
	if forking > 10 {
		forkLock.Unlock()
		forkLock.Lock()
	}
	forking++
}

type config struct {
	mutex sync.RWMutex
	keys  []int
}

// initKeysRLocked is called with the read lock held; it upgrades to the
// write lock and back.
func (c *config) initKeysRLocked() {
	if len(c.keys) > 0 {
		return
	}
	c.mutex.RUnlock()
	defer c.mutex.RLock()
	c.mutex.Lock()
	defer c.mutex.Unlock()
	c.keys = []int{1}
}

func (c *config) ticketKeys() []int {
	c.mutex.RLock()
	defer c.mutex.RUnlock()
	c.initKeysRLocked()
	return c.keys
}

// finish releases c.mu for its caller.
func (c *common) finish() {
	c.seq++
	c.tempDirMu.Unlock()
}

func (c *common) viaFinish(ok bool) int {
	c.tempDirMu.Lock()
	if !ok {
		c.finish()
		return 0
	}
	n := c.seq
	c.tempDirMu.Unlock()
	return n
}

func releaseFork() { forkLock.Unlock() }

func viaFunc(ok bool) bool {
	forkLock.Lock()
	if !ok {
		releaseFork()
		return false
	}
	forking++
	forkLock.Unlock()
	return true
}
