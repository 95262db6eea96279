package main

import (
	"log"
	"net/http"
	"time"
)

func main() {
	go func() {
		for range time.Tick(time.Minute) {
			log.Println("tick")
		}
	}()
	log.Fatal(http.ListenAndServe(":8080", nil))
}
