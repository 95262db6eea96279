package model

func (fb *flowBuilder) valueFuncs() []*Func { return nil }
func (fb *flowBuilder) values()             {}
