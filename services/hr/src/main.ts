import { bootstrapService } from '@imb/platform';
import { AppModule } from './app.module';

void bootstrapService({
  module: AppModule,
  openApi: { title: 'HR', description: 'Posts, workers, contracts, rosters and formalization' },
});
