"""The CII writer's parts (`invoicing.cii.writer`): its vocabulary of steps (`steps`)
and one invoice line (`lines`)."""
