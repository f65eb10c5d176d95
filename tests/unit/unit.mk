.PHONY: unit-build unit
unit-build:
unit:
