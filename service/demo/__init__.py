"""A seeded, realistic demo organization with planted truth, written as a bundle."""
