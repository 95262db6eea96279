// Package golangci makes golens's checks a golangci-lint v2 module plugin.
//
// golangci-lint v2 builds plugins into a custom binary: `golangci-lint
// custom` reads .custom-gcl.yml (see the one in this folder), writes a main
// package that imports this package next to golangci-lint's own, and builds
// it. This package registers a linter named "golens" whose analyzers are
// golens's go/analysis analyzers, unchanged.
//
// In .golangci.yml:
//
//	version: "2"
//	linters:
//	  enable: [golens]
//	  settings:
//	    custom:
//	      golens:
//	        type: module
//	        description: Go concurrency checks from golens
//	        settings:
//	          disable: [deferargs]   # optional: checks to leave out
package golangci

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis"

	"github.com/golens/golens/checks/all"
)

func init() {
	register.Plugin("golens", New)
}

// Settings are the plugin's settings in .golangci.yml.
type Settings struct {
	// Enable lists the checks to run; empty runs every check.
	Enable []string `json:"enable"`
	// Disable lists checks not to run.
	Disable []string `json:"disable"`
}

// New is the plugin's constructor, called by golangci-lint with the settings.
func New(raw any) (register.LinterPlugin, error) {
	s, err := register.DecodeSettings[Settings](raw)
	if err != nil {
		return nil, fmt.Errorf("golens settings: %w", err)
	}
	known := map[string]bool{}
	for _, c := range all.Checks() {
		known[c.Analyzer.Name] = true
	}
	for _, name := range slices.Concat(s.Enable, s.Disable) {
		if !known[name] {
			return nil, fmt.Errorf("golens settings: no check %q (checks: %s)", name, strings.Join(slices.Sorted(maps.Keys(known)), ", "))
		}
	}
	return &plugin{settings: s}, nil
}

type plugin struct{ settings Settings }

func (p *plugin) BuildAnalyzers() ([]*analysis.Analyzer, error) {
	var out []*analysis.Analyzer
	for _, c := range all.Checks() {
		name := c.Analyzer.Name
		if len(p.settings.Enable) > 0 && !slices.Contains(p.settings.Enable, name) {
			continue
		}
		if slices.Contains(p.settings.Disable, name) {
			continue
		}
		out = append(out, c.Analyzer)
	}
	return out, nil
}

// GetLoadMode asks for type information: most checks need to know which
// values are channels, mutexes and WaitGroups.
func (p *plugin) GetLoadMode() string { return register.LoadModeTypesInfo }
