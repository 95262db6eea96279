package deadlock

import "sync"

// ---- a read lock held across a wait whose partner read-locks ----

// announce holds r.mu for reading while it sends; watch read-locks r.mu
// before each receive. Readers share the lock, but once set waits in Lock
// (for announce's read lock), watch's RLock waits behind it.
type PeerTable struct {
	mu      sync.RWMutex
	entries map[string]int
	updates chan string
}

func NewPeerTable() *PeerTable {
	return &PeerTable{entries: map[string]int{}, updates: make(chan string)}
}

func (r *PeerTable) announce(name string) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	r.updates <- name // want `the send on r.updates can block while this goroutine holds r.mu \(locked on line \d+\), and the code that receives from it must lock r.mu first \(line \d+\): neither can go on, so both block forever \(this goroutine holds r.mu for reading and the partner only read-locks it, which is enough once another goroutine waits in r.mu.Lock\(\) between them`
}

func (r *PeerTable) watch() {
	for {
		r.mu.RLock()
		_ = len(r.entries)
		r.mu.RUnlock()
		<-r.updates
	}
}

func (r *PeerTable) set(k string, v int) {
	r.mu.Lock()
	r.entries[k] = v
	r.mu.Unlock()
}

// Nothing ever write-locks the mutex: readers never wait for each other.
type Catalog struct {
	mu     sync.RWMutex
	items  []string
	change chan string
}

func NewCatalog() *Catalog { return &Catalog{change: make(chan string)} }

func (c *Catalog) publish(s string) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	c.change <- s
}

func (c *Catalog) follow() {
	for {
		c.mu.RLock()
		_ = len(c.items)
		c.mu.RUnlock()
		<-c.change
	}
}
