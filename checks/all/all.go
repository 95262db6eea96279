// Package all lists every golens check, in the order they are documented.
package all

import (
	"github.com/golens/golens/checks"
	"github.com/golens/golens/checks/cancelleak"
	"github.com/golens/golens/checks/closedsend"
	"github.com/golens/golens/checks/condwait"
	"github.com/golens/golens/checks/deadlock"
	"github.com/golens/golens/checks/deferargs"
	"github.com/golens/golens/checks/deferloop"
	"github.com/golens/golens/checks/lockleak"
	"github.com/golens/golens/checks/nilchan"
	"github.com/golens/golens/checks/nopartner"
	"github.com/golens/golens/checks/recoveroutside"
	"github.com/golens/golens/checks/selfdeadlock"
	"github.com/golens/golens/checks/timeoutleak"
	"github.com/golens/golens/checks/unclosedrange"
	"github.com/golens/golens/checks/unclosedresource"
	"github.com/golens/golens/checks/unwaited"
	"github.com/golens/golens/checks/waitbeforedrain"
	"github.com/golens/golens/checks/wgmisuse"
)

// Checks returns golens's checks. Each check package contributes one entry.
func Checks() []checks.Check {
	return []checks.Check{
		{Analyzer: unwaited.Analyzer, Syntax: unwaited.Syntax},
		{Analyzer: closedsend.Analyzer, Syntax: closedsend.Syntax},
		{Analyzer: nilchan.Analyzer, Syntax: nilchan.Syntax},
		{Analyzer: unclosedrange.Analyzer, Syntax: unclosedrange.Syntax},
		{Analyzer: selfdeadlock.Analyzer, Syntax: selfdeadlock.Syntax},
		{Analyzer: timeoutleak.Analyzer, Syntax: timeoutleak.Syntax},
		{Analyzer: waitbeforedrain.Analyzer, Syntax: waitbeforedrain.Syntax},
		{Analyzer: wgmisuse.Analyzer, Syntax: wgmisuse.Syntax, DuplicatesGopls: wgmisuse.DuplicatesGopls},
		{Analyzer: lockleak.Analyzer, Syntax: lockleak.Syntax},
		{Analyzer: deadlock.Analyzer},
		{Analyzer: nopartner.Analyzer},
		{Analyzer: cancelleak.Analyzer},
		{Analyzer: condwait.Analyzer},
		{Analyzer: deferloop.Analyzer, Syntax: deferloop.Syntax},
		{Analyzer: unclosedresource.Analyzer},
		{Analyzer: recoveroutside.Analyzer, Syntax: recoveroutside.Syntax},
		{Analyzer: deferargs.Analyzer, Syntax: deferargs.Syntax, Severity: checks.Information},
	}
}
