using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SiteSync.Central.Storage.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class Release4 : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_record_parent_id_table_name",
                table: "record");

            migrationBuilder.DropIndex(
                name: "IX_record_subject_id_table_name",
                table: "record");

            migrationBuilder.DropIndex(
                name: "IX_record_to_store_id",
                table: "record");

            migrationBuilder.CreateIndex(
                name: "IX_record_parent_id_table_name",
                table: "record",
                columns: new[] { "parent_id", "table_name" },
                filter: "parent_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_record_subject_id_table_name",
                table: "record",
                columns: new[] { "subject_id", "table_name" },
                filter: "subject_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_record_to_store_id",
                table: "record",
                column: "to_store_id",
                filter: "to_store_id IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_record_parent_id_table_name",
                table: "record");

            migrationBuilder.DropIndex(
                name: "IX_record_subject_id_table_name",
                table: "record");

            migrationBuilder.DropIndex(
                name: "IX_record_to_store_id",
                table: "record");

            migrationBuilder.CreateIndex(
                name: "IX_record_parent_id_table_name",
                table: "record",
                columns: new[] { "parent_id", "table_name" });

            migrationBuilder.CreateIndex(
                name: "IX_record_subject_id_table_name",
                table: "record",
                columns: new[] { "subject_id", "table_name" });

            migrationBuilder.CreateIndex(
                name: "IX_record_to_store_id",
                table: "record",
                column: "to_store_id");
        }
    }
}
