package deadlock

import "sync"

// ---- sync.Once.Do called again from the function it runs ----

type Loader struct {
	once sync.Once
	conf map[string]string
}

func (l *Loader) Get(k string) string {
	l.once.Do(l.load) // want `l.once.Do → l.load\(\) → Get\(\) calls l.once.Do again \(at line \d+\) before the function l.once.Do runs \(line \d+\) has returned`
	return l.conf[k]
}

func (l *Loader) load() {
	l.conf = map[string]string{}
	if l.Get("include") != "" {
		l.conf["x"] = "y"
	}
}

type Plugin struct {
	once sync.Once
	deps []*Plugin
	name string
}

func (p *Plugin) Init() {
	p.once.Do(func() { // want `p.once.Do\(func\) → setup\(\) → Init\(\) calls p.once.Do again`
		p.setup()
	})
}

func (p *Plugin) setup() {
	p.Init()
}

// The function runs the Do of another value's Once: fine (the dependency
// initializes first).
func (p *Plugin) InitDeps() {
	p.once.Do(func() {
		for _, d := range p.deps {
			d.InitDeps()
		}
	})
}

// Two different Onces of one value: fine.
type Service struct {
	cfgOnce, dbOnce sync.Once
}

func (s *Service) Config() { s.cfgOnce.Do(s.DB) }

func (s *Service) DB() { s.dbOnce.Do(func() {}) }
