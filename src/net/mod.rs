//! The simulated network: addresses, routing by mask and gateway, DNS, hosts and their
//! services, faults, and simulated TCP connections carrying bytes to an SMTP session.
