"""What every feature's handlers use: replies, services, paging, who may do what,
the admin gate and menus, the buttons under a card and what they are drawn
from, a choice between namesakes, and the last-resort error handling.

The feature packages import from here and never from each other."""
