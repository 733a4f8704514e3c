import { Module } from '@nestjs/common';
import { OperatorTenantsController } from './operator-tenants.controller';

@Module({ controllers: [OperatorTenantsController] })
export class OperatorTenantsModule {}
