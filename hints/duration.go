package hints

import (
	"strings"

	"github.com/golens/golens/model"
)

// duration returns a time call's constant duration argument as text: the
// model's value (TimeCall.Value, which the hover reads too), "" when the
// model cannot evaluate it or it is not positive ("until a case or -1s"
// would mislead: a zero or negative duration fires at once).
func (s *state) duration(t *model.TimeCall) string {
	if t.Value == "0s" || strings.HasPrefix(t.Value, "-") {
		return ""
	}
	return t.Value
}
