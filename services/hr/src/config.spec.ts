import { describeComposeService } from '@imb/testing';
import { validateServiceConfig } from './config';

describeComposeService('hr', validateServiceConfig);
