package nopartner

// fieldparam.go: the goroutine's early return tests a field the
// constructor copied from its own parameter, unchecked.

type fpNode struct {
	ready chan struct{}
	peers []string
}

func newFPNode(peers []string) *fpNode {
	n := &fpNode{ready: make(chan struct{}), peers: peers}
	go n.start()
	return n
}

func (n *fpNode) start() {
	if len(n.peers) == 0 {
		return
	}
	close(n.ready)
}

func (n *fpNode) WaitReady() { <-n.ready } // want `only start, run by the goroutine started at line 13, closes n.ready, and it can return at line 19 \(when len\(n.peers\) == 0\) before it does`

// RIGHT: the constructor rules the empty list out before the goroutine
// starts.
type fpChecked struct {
	ready chan struct{}
	peers []string
}

func newFPChecked(peers []string) *fpChecked {
	if len(peers) == 0 {
		return nil
	}
	n := &fpChecked{ready: make(chan struct{}), peers: peers}
	go n.start()
	return n
}

func (n *fpChecked) start() {
	if len(n.peers) == 0 {
		return
	}
	close(n.ready)
}

func (n *fpChecked) WaitReady() { <-n.ready }

// RIGHT: the close is deferred, so every return closes.
type fpDeferred struct {
	ready chan struct{}
	peers []string
}

func newFPDeferred(peers []string) *fpDeferred {
	n := &fpDeferred{ready: make(chan struct{}), peers: peers}
	go n.start()
	return n
}

func (n *fpDeferred) start() {
	defer close(n.ready)
	if len(n.peers) == 0 {
		return
	}
}

func (n *fpDeferred) WaitReady() { <-n.ready }

// Silent: the field is set again elsewhere; what start reads is not the
// constructor's parameter alone.
type fpReset struct {
	ready chan struct{}
	peers []string
}

func newFPReset(peers []string) *fpReset {
	n := &fpReset{ready: make(chan struct{}), peers: peers}
	go n.start()
	return n
}

func (n *fpReset) SetPeers(p []string) { n.peers = p }

func (n *fpReset) start() {
	if len(n.peers) == 0 {
		return
	}
	close(n.ready)
}

func (n *fpReset) WaitReady() { <-n.ready }
