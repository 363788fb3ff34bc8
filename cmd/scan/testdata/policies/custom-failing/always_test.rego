package acme.failing_test

test_that_fails if {
	1 == 2
}
