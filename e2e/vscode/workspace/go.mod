module example.com/lensdemo

go 1.22
