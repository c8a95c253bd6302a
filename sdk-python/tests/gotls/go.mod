module yurt.test/gotls

go 1.26
