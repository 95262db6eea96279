package server

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// Settings are golens's user settings. They arrive as initializationOptions
// and later through workspace/didChangeConfiguration, as
// {"golens": {...}} or the bare object; both have this shape:
//
//	{
//	  "typedTier": true,
//	  "hints": {"blocking": true, "defers": true, "goroutines": true},
//	  "checks": {"closedsend": false, "skipGoplsDuplicates": true}
//	}
//
// Unknown keys are reported once in the log and otherwise ignored, so an
// editor configured for a newer golens still works.
type Settings struct {
	TypedTier bool
	Hints     HintSettings
	// Checks disables individual checks by analyzer name; absent means on.
	Checks map[string]bool
	// SkipGoplsDuplicates: when gopls already reports a finding by default,
	// golens publishes no second copy (its quick fix is still offered).
	SkipGoplsDuplicates bool
	// Leaks: may tests run (on explicit request), and for how long.
	Leaks LeakSettings
}

// HintSettings switch each inlay hint family.
type HintSettings struct {
	Blocking   bool
	Defers     bool
	Goroutines bool
}

func defaultSettings() Settings {
	return Settings{
		TypedTier:           true,
		Hints:               HintSettings{Blocking: true, Defers: true, Goroutines: true},
		Checks:              map[string]bool{},
		SkipGoplsDuplicates: true,
		Leaks:               defaultLeakSettings(),
	}
}

// CheckEnabled reports whether the named check runs.
func (s Settings) CheckEnabled(name string) bool {
	on, set := s.Checks[name]
	return !set || on
}

// parseSettings applies the JSON object raw on top of base. It returns the
// new settings and the unknown or ill-typed keys, which the caller logs.
func parseSettings(base Settings, raw []byte) (Settings, []string, error) {
	switch strings.TrimSpace(string(raw)) {
	case "", "null", "[]", "{}":
		// Neovim encodes an empty Lua table as [].
		return base, nil, nil
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(raw, &top); err != nil {
		return base, nil, fmt.Errorf("settings must be a JSON object: %w", err)
	}
	if inner, ok := top["golens"]; ok && len(top) == 1 {
		top = nil
		if err := json.Unmarshal(inner, &top); err != nil {
			return base, nil, fmt.Errorf("settings.golens must be a JSON object: %w", err)
		}
	}
	s := base
	s.Checks = map[string]bool{}
	for k, v := range base.Checks {
		s.Checks[k] = v
	}
	var problems []string
	boolean := func(path string, raw json.RawMessage, dst *bool) {
		if err := json.Unmarshal(raw, dst); err != nil {
			problems = append(problems, path+" (want true or false)")
		}
	}
	object := func(path string, raw json.RawMessage) map[string]json.RawMessage {
		var m map[string]json.RawMessage
		if err := json.Unmarshal(raw, &m); err != nil {
			problems = append(problems, path+" (want an object)")
		}
		return m
	}
	for k, v := range top {
		switch k {
		case "typedTier":
			boolean(k, v, &s.TypedTier)
		case "hints":
			for hk, hv := range object(k, v) {
				switch hk {
				case "blocking":
					boolean("hints.blocking", hv, &s.Hints.Blocking)
				case "defers":
					boolean("hints.defers", hv, &s.Hints.Defers)
				case "goroutines":
					boolean("hints.goroutines", hv, &s.Hints.Goroutines)
				default:
					problems = append(problems, "hints."+hk)
				}
			}
		case "checks":
			for ck, cv := range object(k, v) {
				if ck == "skipGoplsDuplicates" {
					boolean("checks.skipGoplsDuplicates", cv, &s.SkipGoplsDuplicates)
					continue
				}
				var on bool
				if err := json.Unmarshal(cv, &on); err != nil {
					problems = append(problems, "checks."+ck+" (want true or false)")
					continue
				}
				s.Checks[ck] = on
			}
		case "leaks":
			var more []string
			s.Leaks, more = parseLeakSettings(s.Leaks, v)
			problems = append(problems, more...)
		case "server", "trace":
			// Client-side settings (binary path, tracing) the VS Code
			// client sends along; nothing for the server to do.
		default:
			problems = append(problems, k)
		}
	}
	sort.Strings(problems)
	return s, problems, nil
}
