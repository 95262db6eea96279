package hints

import "github.com/golens/golens/model"

// duration returns a time call's constant duration argument as text: the
// model's value (TimeCall.Value, which the hover reads too), "" when the
// model cannot evaluate it.
func (s *state) duration(t *model.TimeCall) string { return t.Value }
