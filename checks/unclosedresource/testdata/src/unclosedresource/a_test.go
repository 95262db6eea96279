package unclosedresource

import (
	"net/http"
	"testing"
)

func TestGet(t *testing.T) {
	res, err := http.Get("http://127.0.0.1:1/") // a test server's Close cleans up: not reported
	if err != nil {
		t.Fatal(err)
	}
	_ = res.StatusCode
}

func TestExpectError(t *testing.T) {
	_, err := http.Get("http://bad host/")
	if err == nil {
		t.Fatal("want error")
	}
}

func TestDeferTooEarly(t *testing.T) {
	res, err := http.Get("http://127.0.0.1:1/")
	defer res.Body.Close() // want `res.Body.Close\(\) is deferred before the error from http.Get is checked`
	if err != nil {
		t.Fatal(err)
	}
}
