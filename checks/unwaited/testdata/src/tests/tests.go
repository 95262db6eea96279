package tests

func Work() int { return 1 }
