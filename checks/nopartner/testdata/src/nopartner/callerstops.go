package nopartner

import "fmt"

// A logger whose loop ends on quit. Every caller of log also stops the
// logger itself: the rule cannot tell that a log comes after the stop,
// and stays silent.
type csLogger struct {
	lines chan string
	quit  chan struct{}
	done  chan struct{}
}

func newCSLogger() *csLogger {
	l := &csLogger{lines: make(chan string), quit: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(l.done)
		for {
			select {
			case s := <-l.lines:
				fmt.Println(s)
			case <-l.quit:
				return
			}
		}
	}()
	return l
}

func (l *csLogger) log(s string) { l.lines <- s }

func (l *csLogger) stop() {
	close(l.quit)
	<-l.done
}

func ServeCS() {
	l := newCSLogger()
	defer l.stop()
	l.log("one")
	l.log("two")
}

// The same logger, but one caller of log never stops it while another
// does: that log may come after the stop. Reported.
type cs2Logger struct {
	lines chan string
	quit  chan struct{}
}

func newCS2Logger() *cs2Logger {
	l := &cs2Logger{lines: make(chan string), quit: make(chan struct{})}
	go func() {
		for {
			select {
			case s := <-l.lines:
				fmt.Println(s)
			case <-l.quit:
				return
			}
		}
	}()
	return l
}

func (l *cs2Logger) log(s string) { l.lines <- s } // want `every receive from l.lines \(made at line 52, unbuffered\) is a case of the select at line 55, whose loop ends when its <-l.quit case is taken`

func (l *cs2Logger) stop() { close(l.quit) }

func StopCS2(l *cs2Logger) { l.stop() }

func LogCS2(l *cs2Logger) { l.log("late") }

func NewCS2() *cs2Logger { return newCS2Logger() }
