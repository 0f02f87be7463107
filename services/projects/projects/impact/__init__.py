"""The network's impact: monthly measures of the whole network, built from every service's events,
charted by the same SPC engine as project measures, and laid out on the network's driver diagram."""
