# device plugins have no task scenarios
