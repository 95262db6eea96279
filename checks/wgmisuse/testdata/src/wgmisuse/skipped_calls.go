package wgmisuse

import "sync"

type crossTracker struct{ wg sync.WaitGroup }

func (t *crossTracker) abort() { t.wg.Done() }

func giveUp(wg *sync.WaitGroup) { wg.Done() }

func logState(wg *sync.WaitGroup) { wg.Add(0) }
