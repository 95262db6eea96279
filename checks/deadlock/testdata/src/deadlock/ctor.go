package deadlock

import "sync"

// ---- a lock reached through an interface and a constructor's result ----

type doer interface{ Do() }

type Members interface{ Leader() }

type clusterClient struct {
	sync.RWMutex
	prioritize bool
}

func (c *clusterClient) Do() {
	c.RLock()
	c.RUnlock()
}

type membersAPI struct{ client doer }

func (m *membersAPI) Leader() { m.client.Do() }

func newMembersAPI(c doer) Members { return &membersAPI{client: c} }

func (c *clusterClient) leaderEndpoint() {
	api := newMembersAPI(c)
	api.Leader()
}

func (c *clusterClient) Sync() {
	c.Lock()
	defer c.Unlock()
	if c.prioritize {
		c.leaderEndpoint() // want `c.leaderEndpoint\(\) → Leader\(\) → Do\(\) locks c.RWMutex \(RLock at line \d+\) while this goroutine already holds it`
	}
}

// The result's field is replaced after construction: api.client need not
// be c any more.
type resolver interface{ Resolve() }

type Directory interface{ Lookup() }

type dnsClient struct {
	mu sync.Mutex
}

func (d *dnsClient) Resolve() {
	d.mu.Lock()
	d.mu.Unlock()
}

type directory struct{ r resolver }

func (g *directory) Lookup() { g.r.Resolve() }

func newDirectory(r resolver) Directory { return &directory{r: r} }

func (g *directory) use(r resolver) { g.r = r }

func (d *dnsClient) Refresh() {
	d.mu.Lock()
	defer d.mu.Unlock()
	reg := newDirectory(d)
	reg.Lookup()
}
