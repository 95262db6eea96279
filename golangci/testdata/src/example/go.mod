module example.com/example

go 1.26.0
