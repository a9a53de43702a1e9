"""The synthetic country, its polling stations and the election night that exercises the system."""
