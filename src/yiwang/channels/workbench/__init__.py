"""Staff workbench (工作台): the one-window desk, the department queue, pledge checks, the supervisor's overview."""
