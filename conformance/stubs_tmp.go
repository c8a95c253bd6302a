package conformance

func baseCases() []Case   { return nil }
func driverCases() []Case { return nil }
func deviceCases() []Case { return nil }
func nomadCases() []Case  { return nil }
