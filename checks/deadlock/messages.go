package deadlock

import (
	"embed"
	"strings"
	"text/template"
)

// The messages are data (messages.tmpl), filled from the check's facts.

//go:embed messages.tmpl
var messageFiles embed.FS

var messages = template.Must(template.ParseFS(messageFiles, "messages.tmpl"))

// msgData holds the facts a message names.
type msgData struct {
	Chain, Mutex, Kind, LockAt, Writer string
	// Via says how the callee's mutex was seen to be the held one
	// ("c.parent is t, line 26"), when a constructor, a composite
	// literal or a parent pointer proved it.
	Via      string
	HeldLine int

	First, FirstHeld, Other, Second, SecondAt, SecondHeld string
	FirstHeldLine                                         int

	Wait, Partner, NeedAt, PartnerAt, Ops string
	CondL                                 string // the mutex a Cond wait releases
	RunBy                                 string // what runs the partner over and over
	Deferred, May                         bool
}

func message(name string, d msgData) string {
	var b strings.Builder
	if err := messages.ExecuteTemplate(&b, name, d); err != nil {
		// The templates are embedded and each is exercised by the
		// analysistest cases: an error here is a bug in golens.
		panic(err)
	}
	return b.String()
}
