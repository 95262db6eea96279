package nopartner_test

import "nopartner"

func drain(m *nopartner.Mailbox) int { return <-m.Inbox }
