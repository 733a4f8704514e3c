import { Module } from '@nestjs/common';
import { DomainsModule } from '../domains/domains.module';
import { DkimController } from './dkim.controller';
import { DkimService } from './dkim.service';

@Module({
  imports: [DomainsModule],
  controllers: [DkimController],
  providers: [DkimService],
})
export class DkimModule {}
