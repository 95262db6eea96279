package nopartner

// Declared in a test file: no other package can import these, so the
// exported field is the package's own.
type Recorder struct{ Events chan string }

func NewRecorder() *Recorder { return &Recorder{Events: make(chan string)} }

func (r *Recorder) Record(e string) {
	r.Events <- e // want `nothing in the package receives from r.Events \(made at line 7\), and it does not leave the package: this send blocks forever`
}

// Received through an interface method the type implements: someone may
// receive; silent.
type source interface{ Updates() <-chan int }

type feed struct{ updates chan int }

func newFeed() *feed { return &feed{updates: make(chan int)} }

func (f *feed) Updates() <-chan int { return f.updates }

func (f *feed) publish(v int) { f.updates <- v }

func watch(s source) {
	for v := range s.Updates() {
		_ = v
	}
}

// Sent on through the method that returns it; silent.
type inbox struct{ in chan int }

func newInbox() *inbox { return &inbox{in: make(chan int)} }

func (b *inbox) input() chan int { return b.in }

func (b *inbox) serve() {
	for v := range b.in {
		_ = v
	}
}

func feedInbox(b *inbox) { b.input() <- 1 }

// Exported in a test file, but the external test package reads the field:
// silent.
type Mailbox struct{ Inbox chan int }

func NewMailbox() *Mailbox { return &Mailbox{Inbox: make(chan int)} }

func (m *Mailbox) Put(v int) { m.Inbox <- v }
