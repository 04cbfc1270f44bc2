"""What every feature's handlers use: replies, services, paging, who may do what,
the admin gate and menus, and the last-resort error handling."""
