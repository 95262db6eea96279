package server

import (
	"reflect"
	"testing"
)

func TestParseSettings(t *testing.T) {
	cases := []struct {
		raw      string
		want     func(*Settings)
		problems []string
		err      bool
	}{
		{raw: ``, want: func(*Settings) {}},
		{raw: `null`, want: func(*Settings) {}},
		{raw: `[]`, want: func(*Settings) {}}, // Neovim's empty Lua table
		{raw: `{"golens": {"typedTier": false}}`, want: func(s *Settings) { s.TypedTier = false }},
		{raw: `{"hints": {"goroutines": false}}`, want: func(s *Settings) { s.Hints.Goroutines = false }},
		{raw: `{"checks": {"deferargs": false, "skipGoplsDuplicates": false}}`, want: func(s *Settings) {
			s.Checks["deferargs"] = false
			s.SkipGoplsDuplicates = false
		}},
		{raw: `{"server": {"path": "/x"}, "trace": {"server": "off"}}`, want: func(*Settings) {}},
		{raw: `{"hints": {"colour": true}, "frobnicate": 1}`, want: func(*Settings) {}, problems: []string{"frobnicate", "hints.colour"}},
		{raw: `{"typedTier": "yes"}`, want: func(*Settings) {}, problems: []string{"typedTier (want true or false)"}},
		{raw: `[1]`, err: true},
		{raw: `{`, err: true},
	}
	for _, c := range cases {
		got, problems, err := parseSettings(defaultSettings(), []byte(c.raw))
		if (err != nil) != c.err {
			t.Errorf("%s: err = %v", c.raw, err)
			continue
		}
		if c.err {
			continue
		}
		want := defaultSettings()
		c.want(&want)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: settings = %+v, want %+v", c.raw, got, want)
		}
		if !reflect.DeepEqual(problems, c.problems) {
			t.Errorf("%s: problems = %q, want %q", c.raw, problems, c.problems)
		}
	}
}
