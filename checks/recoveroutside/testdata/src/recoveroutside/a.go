package recoveroutside

import (
	"fmt"
	"log"
)

type job struct{}

func (job) run() {}

// ---- buggy ----

func worker(jobs <-chan job) {
	for j := range jobs {
		j.run()
	}
	if r := recover(); r != nil { // want `recover\(\) here does nothing: worker is only called directly, never deferred`
		log.Print(r)
	}
}

func goroutine() {
	go func() {
		fmt.Println("work")
		recover() // want `it runs in a goroutine started by a go statement`
	}()
}

func immediate() {
	func() {
		if recover() != nil { // want `the function literal is called at once, not deferred`
			log.Print("recovered")
		}
	}()
}

func deferRecover() {
	defer recover() // want `defer recover\(\) does nothing`
	panic("boom")
}

func deferArg() {
	defer fmt.Println("recovered:", recover()) // want `the arguments of a deferred call are evaluated at the defer statement`
	panic("boom")
}

func logPanic() {
	if r := recover(); r != nil { // want `logPanic is called by a deferred function but is not itself deferred`
		log.Print(r)
	}
}

func oneLevelDown() {
	defer func() {
		logPanic()
	}()
	panic("boom")
}

func callsWorker() { worker(nil) }

// ---- correct ----

func deferredLiteral() {
	defer func() {
		if r := recover(); r != nil {
			log.Print(r)
		}
	}()
	panic("boom")
}

func handle() {
	if r := recover(); r != nil {
		log.Print(r)
	}
}

func deferredNamed() {
	defer handle()
	panic("boom")
}

type server struct{}

func (s *server) catch() {
	if r := recover(); r != nil {
		log.Print(r)
	}
}

func (s *server) serve() {
	defer s.catch()
	panic("boom")
}

// Protect is exported: other packages defer it.
func Protect() {
	if r := recover(); r != nil {
		log.Print(r)
	}
}

func asValue() {
	h := func() {
		recover()
	}
	defer h()
	panic("boom")
}

func passed(run func(func())) {
	run(func() {
		recover()
	})
}

var handlers = []func(){guard}

func guard() {
	recover()
}

func deferredWithResult() (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	panic("boom")
}
