package nopartner

import (
	"go/types"

	"golang.org/x/tools/go/analysis"

	"github.com/golens/golens/checks/modelpass"
)

// public: code outside the package can name obj — exported, and not
// declared only for the package's own tests (model.Package.Visible, which
// the channel classes read too).
func public(pass *analysis.Pass, obj types.Object) bool {
	return pass.ResultOf[modelpass.Analyzer].(*modelpass.Result).Package.Visible(obj)
}

func (st *state) public(obj types.Object) bool { return st.pkg.Visible(obj) }
