package hover

import (
	"go/ast"
	"strconv"

	"github.com/golens/golens/model"
)

// rangeExit describes the first place in a range loop's body that leaves
// the loop without the channel being closed, as "`break` at line 12", or
// "" when there is none. The model decides (File.LoopExit): a break of this
// loop, a break or continue of an enclosing one, a goto out of the body, a
// return, or a call that ends the function or may (panic, os.Exit,
// log.Fatal*, runtime.Goexit, t.Fatal; a call only named like one, such
// as a logger's Fatal, is worded as a possibility); the range check
// unclosedrange reads the same fact. A range over a channel "never ends"
// only when there is no such place (https://go.dev/ref/spec#For_range,
// https://go.dev/ref/spec#Break_statements).
func rangeExit(m *model.File, rs *ast.RangeStmt) string {
	if m == nil || m.AST == nil || rs == nil || rs.Body == nil {
		return ""
	}
	e, ok := m.LoopExit(rs)
	if !ok {
		return ""
	}
	if !e.Proven {
		// Only named like an exit (a logger's Fatal, a helper's FailNow):
		// golens does not know that it leaves.
		return "`" + e.What + "` call at line " + strconv.Itoa(m.Line(e.Pos)) + ", if it does not return,"
	}
	return "`" + e.What + "` at line " + strconv.Itoa(m.Line(e.Pos))
}
