greeting = "hi there"
