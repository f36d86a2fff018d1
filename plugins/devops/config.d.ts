export interface Config {
  devops?: {
    /**
     * Images the Run script dialog suggests as the image and tag are typed (any other
     * image is still taken): a platform team's approved build images, e.g.
     * `[{ image: node, tags: [22-alpine, 20-alpine] }]`.
     * @visibility frontend
     */
    suggestedImages?: Array<{
      /** @visibility frontend */
      image: string;
      /** @visibility frontend */
      tags?: string[];
    }>;
  };
}
