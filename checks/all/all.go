// Package all lists every golens check, in the order they are documented.
package all

import (
	"github.com/golens/golens/checks"
	"github.com/golens/golens/checks/deferargs"
	"github.com/golens/golens/checks/deferloop"
	"github.com/golens/golens/checks/lockleak"
	"github.com/golens/golens/checks/recoveroutside"
	"github.com/golens/golens/checks/unclosedresource"
	"github.com/golens/golens/checks/wgmisuse"
)

// Checks returns golens's checks. Each check package contributes one entry.
func Checks() []checks.Check {
	return []checks.Check{
		// Entries are added as the check packages land, e.g.
		// {Analyzer: closedsend.Analyzer, Syntax: closedsend.Syntax},
		{Analyzer: wgmisuse.Analyzer, Syntax: wgmisuse.Syntax, GoplsDuplicate: true},
		{Analyzer: lockleak.Analyzer, Syntax: lockleak.Syntax},
		{Analyzer: deferloop.Analyzer, Syntax: deferloop.Syntax},
		{Analyzer: unclosedresource.Analyzer},
		{Analyzer: recoveroutside.Analyzer, Syntax: recoveroutside.Syntax},
		{Analyzer: deferargs.Analyzer, Syntax: deferargs.Syntax},
	}
}
