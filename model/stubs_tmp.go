package model

func (fb *flowBuilder) lockPairs(fl *funcFlow) {}
func (fb *flowBuilder) valueFuncs() []*Func    { return nil }
func (fb *flowBuilder) values()                {}
